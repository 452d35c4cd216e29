import { upsertOperation } from '../recordOperations';
import { LEAD } from '../../shared/records';

export const { description, execute } = upsertOperation(LEAD);
