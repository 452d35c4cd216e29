// Defaults of the sandbox: credentials, settings, and the fixed reference data seeded on reset.
import type { SandboxSettings, Stage, Team, User } from './types';

export const SANDBOX_CLIENT_ID = 'sandbox-client';
export const SANDBOX_CLIENT_SECRET = 'sandbox-secret';
export const SANDBOX_AUDIENCE = 'https://api.play2sell.com';
export const SANDBOX_API_KEY = 'sk_test_sandbox';
export const SANDBOX_API_SECRET = 'sandbox-signing-secret';
/** Default Integration only: 403 on /v1/*. */
export const SANDBOX_SYNC_ONLY_API_KEY = 'sk_test_sync_only';
/** REST only: 403 on the Default Integration. */
export const SANDBOX_NO_SCOPE_API_KEY = 'sk_test_no_scope';

export const DELIVERY_RETRY_SCHEDULE_MS = [60_000, 300_000, 1_800_000, 7_200_000, 43_200_000];

export function defaultSettings(): SandboxSettings {
	return {
		audience: SANDBOX_AUDIENCE,
		clients: [{ clientId: SANDBOX_CLIENT_ID, clientSecret: SANDBOX_CLIENT_SECRET }],
		apiKeys: [
			{ key: SANDBOX_API_KEY, secret: SANDBOX_API_SECRET, scopes: ['default:sync'], rest: true },
			{ key: SANDBOX_SYNC_ONLY_API_KEY, secret: SANDBOX_API_SECRET, scopes: ['default:sync'], rest: false },
			{ key: SANDBOX_NO_SCOPE_API_KEY, secret: SANDBOX_API_SECRET, scopes: [], rest: true },
		],
		tokenTtlSeconds: 86_400,
		tokenAcceptsFormEncoded: false,
		signatureWindowSeconds: 30,
		// High enough for benchmarks; tests lower it. The real default is 1,000/hour per key.
		rateLimit: { limit: 10_000, windowMs: 60_000, mode: 'fixed' },
		rateLimitHint: 'all',
		latencyMs: 0,
		perPageDefault: 25,
		perPageMax: 100,
		perPageOverMax: 'clamp',
		conflictIncludesExistingId: true,
		ignoredListFilters: [],
		defaultIntegrationStrict: false,
		collaboratorsMaxPerRequest: 500,
		activitiesMaxPerRequest: 1000,
		webhookRetryDelaysMs: [...DELIVERY_RETRY_SCHEDULE_MS],
		webhookTimeoutMs: 10_000,
		webhookMaxConsecutiveFailures: 10,
		webhookAllowHttpLoopback: true,
		tenant: 'sandbox',
		seed: 42,
	};
}

const REFERENCE_TIME = '2026-01-01T00:00:00.000Z';

export const STAGES: readonly Stage[] = [
	{ id: 'stg_prospecting', name: 'Prospecting', probability: 10, position: 1 },
	{ id: 'stg_qualification', name: 'Qualification', probability: 25, position: 2 },
	{ id: 'stg_proposal', name: 'Proposal', probability: 50, position: 3 },
	{ id: 'stg_negotiation', name: 'Negotiation', probability: 75, position: 4 },
	{ id: 'stg_closed_won', name: 'Closed Won', probability: 100, position: 5 },
	{ id: 'stg_closed_lost', name: 'Closed Lost', probability: 0, position: 6 },
];
export const CLOSED_WON_STAGE_ID = 'stg_closed_won';
export const CLOSED_LOST_STAGE_ID = 'stg_closed_lost';

export const SEED_TEAMS: readonly Team[] = [
	{ id: '7e1f0c52-0000-4000-8000-000000000001', name: 'Inside Sales', created_at: REFERENCE_TIME },
	{ id: '7e1f0c52-0000-4000-8000-000000000002', name: 'Enterprise', created_at: REFERENCE_TIME },
];

const [insideSales, enterprise] = SEED_TEAMS;
const seedUser = (n: number, name: string, role: User['role'], teamId: string | null): User => ({
	id: `a5e5c0de-0000-4000-8000-00000000000${n}`,
	name,
	email: `${name.split(' ')[0].toLowerCase()}@sandbox.play2sell.test`,
	role,
	team_id: teamId,
	status: 'active',
	created_at: REFERENCE_TIME,
	updated_at: REFERENCE_TIME,
});

export const SEED_USERS: readonly User[] = [
	seedUser(1, 'Ana Admin', 'admin', null),
	seedUser(2, 'Marcos Manager', 'manager', insideSales.id),
	seedUser(3, 'Rita Rep', 'sales_rep', insideSales.id),
	seedUser(4, 'Sergio Seller', 'sales_rep', enterprise.id),
];
