import { WEBHOOK } from '../../shared/records';
import { listOperation } from '../listOperation';

export const { description, execute } = listOperation(WEBHOOK);
