import { getOperation } from '../recordOperations';
import { LEAD } from '../../shared/records';

export const { description, execute } = getOperation(LEAD);
