import { listOperation } from '../listOperation';

export const { description, execute } = listOperation({ resource: 'stage', path: '/stages', plural: 'stages' });
