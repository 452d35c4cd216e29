import { createOperation } from '../recordOperations';
import { LEAD } from '../../shared/records';

export const { description, execute } = createOperation(LEAD);
