import { updateOperation } from '../recordOperations';
import { LEAD } from '../../shared/records';

export const { description, execute } = updateOperation(LEAD);
