import { deleteOperation } from '../recordOperations';
import { DEAL } from '../../shared/records';

export const { description, execute } = deleteOperation(DEAL);
