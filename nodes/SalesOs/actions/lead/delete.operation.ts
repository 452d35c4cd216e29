import { deleteOperation } from '../recordOperations';
import { LEAD } from '../../shared/records';

export const { description, execute } = deleteOperation(LEAD);
