import { createOperation } from '../recordOperations';
import { DEAL } from '../../shared/records';

export const { description, execute } = createOperation(DEAL);
