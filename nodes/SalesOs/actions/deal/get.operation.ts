import { getOperation } from '../recordOperations';
import { DEAL } from '../../shared/records';

export const { description, execute } = getOperation(DEAL);
