import { USER, USER_FILTERS } from '../../shared/records';
import { listOperation } from '../listOperation';

export const { description, execute } = listOperation({ ...USER, filters: USER_FILTERS });
