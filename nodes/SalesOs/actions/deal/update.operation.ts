import { updateOperation } from '../recordOperations';
import { DEAL } from '../../shared/records';

export const { description, execute } = updateOperation(DEAL);
