import { listOperation } from '../listOperation';

export const { description, execute } = listOperation({ resource: 'team', path: '/teams', plural: 'teams' });
