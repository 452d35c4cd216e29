import { WEBHOOK } from '../../shared/records';
import { deleteOperation } from '../recordOperations';

export const { description, execute } = deleteOperation(WEBHOOK);
