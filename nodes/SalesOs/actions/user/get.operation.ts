import { USER } from '../../shared/records';
import { getOperation } from '../recordOperations';

export const { description, execute } = getOperation(USER);
