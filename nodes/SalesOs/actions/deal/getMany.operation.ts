import { getManyOperation } from '../recordOperations';
import { DEAL } from '../../shared/records';

export const { description, execute } = getManyOperation(DEAL);
