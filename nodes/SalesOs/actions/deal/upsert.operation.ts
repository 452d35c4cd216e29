import { upsertOperation } from '../recordOperations';
import { DEAL } from '../../shared/records';

export const { description, execute } = upsertOperation(DEAL);
