import { getManyOperation } from '../recordOperations';
import { LEAD } from '../../shared/records';

export const { description, execute } = getManyOperation(LEAD);
