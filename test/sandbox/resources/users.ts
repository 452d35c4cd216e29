// Users (invite, update, deactivate) and teams.
import { randomUUID } from 'node:crypto';
import { notFound, ok } from '../http';
import { enumFilter, equals, listResponse, timeBound, type ListSpec } from '../listQuery';
import type { Route } from '../router';
import type { Team, User, UserRole, UserStatus } from '../types';
import { assertValid, exists, isEmail, isString, oneOf, pickFields, type Schema } from '../validation';
import { assertNoConflict, recordRoutes, writeTime, type Domain, type WriteOptions } from './common';

export const USER_ROLES: readonly UserRole[] = ['admin', 'manager', 'sales_rep'];
export const USER_STATUSES: readonly UserStatus[] = ['active', 'invited', 'deactivated'];

const USER_UNIQUE = [{ index: 'email', field: 'email' }];

function userSchema({ state }: Domain): Schema {
	return {
		name: { required: true, rules: [isString] },
		email: { required: true, rules: [isString, isEmail] },
		role: { rules: [oneOf(USER_ROLES)] },
		team_id: { rules: [exists((id) => state.teams.get(id), 'team')] },
		status: { rules: [oneOf(USER_STATUSES)] },
	};
}

export function getUser(domain: Domain, id: string): User {
	const user = domain.state.users.get(id);
	if (!user) throw notFound('User', id);
	return user;
}

/** Invite: the user starts as `invited` unless the control API says otherwise. */
export function createUser(domain: Domain, input: Record<string, unknown>, options: WriteOptions = {}): User {
	const schema = userSchema(domain);
	if (!options.force) assertValid(input, schema, 'create');
	const fields = pickFields(input, schema) as Partial<User>;
	const now = writeTime(domain, 'users', options);
	const user: User = {
		id: typeof input.id === 'string' && options.force ? input.id : randomUUID(),
		name: '',
		email: '',
		team_id: null,
		...fields,
		role: fields.role ?? 'sales_rep',
		status: (options.force && fields.status) || 'invited',
		created_at: now,
		updated_at: now,
	};
	if (!options.force) assertNoConflict(domain, domain.state.users, 'user', user, USER_UNIQUE);
	domain.state.users.insert(user);
	domain.events.emit('user.created', user);
	return user;
}

export function updateUser(domain: Domain, user: User, input: Record<string, unknown>, options: WriteOptions = {}): User {
	const schema = userSchema(domain);
	if (!options.force) assertValid(input, schema, 'update');
	const fields = pickFields(input, schema) as Partial<User>;
	const next: User = { ...user, ...fields, role: fields.role ?? user.role, status: fields.status ?? user.status };
	if (!options.force) assertNoConflict(domain, domain.state.users, 'user', next, USER_UNIQUE);
	const previousStatus = user.status;
	domain.state.users.update(user, (record) => Object.assign(record, next, { updated_at: writeTime(domain, 'users', options) }));
	domain.events.emit('user.updated', user);
	if (user.status !== previousStatus && user.status !== 'invited') {
		domain.events.emit(user.status === 'active' ? 'user.activated' : 'user.deactivated', user);
	}
	return user;
}

const userList: ListSpec<User> = {
	filters: {
		role: enumFilter(USER_ROLES, (user) => user.role),
		status: enumFilter(USER_STATUSES, (user) => user.status),
		team_id: equals((user) => user.team_id),
		updated_after: timeBound((user) => user.updated_at, 'min'),
	},
	sortable: ['name', 'email', 'role', 'status', 'created_at', 'updated_at'],
	searchIn: (user) => [user.name, user.email],
};

const teamList: ListSpec<Team> = {
	filters: {},
	sortable: ['name', 'created_at'],
	searchIn: (team) => [team.name],
};

export function userRoutes(domain: Domain): Route[] {
	return [
		...recordRoutes(domain, '/v1/users', {
			store: domain.state.users,
			list: userList,
			get: (id) => getUser(domain, id),
			create: (input) => createUser(domain, input),
			update: (user, input) => updateUser(domain, user, input),
			// DELETE deactivates: users are never removed.
			remove: (user) => {
				if (user.status !== 'deactivated') updateUser(domain, user, { status: 'deactivated' });
			},
		}),
		{ method: 'GET', pattern: '/v1/teams', handler: (ctx) => listResponse(ctx, domain.state.teams.values(), teamList, domain.state.settings) },
		{
			method: 'GET',
			pattern: '/v1/teams/:id',
			handler: (ctx) => {
				const team = domain.state.teams.get(ctx.params.id);
				if (!team) throw notFound('Team', ctx.params.id);
				return ok(ctx, team);
			},
		},
	];
}
