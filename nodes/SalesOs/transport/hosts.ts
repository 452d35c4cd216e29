/**
 * Where SalesOS lives per credential environment. Imported by both credentials and nodes, so it
 * depends on nothing but plain data.
 */
export type SalesOsEnvironment = 'production' | 'staging' | 'custom';

export interface SalesOsEndpoints {
	/** REST API base, e.g. `https://api.play2sell.com/v1`. */
	restBaseUrl: string;
	/** Default Integration endpoint (activities and collaborators). */
	defaultIntegrationUrl: string;
	/** OAuth client-credentials token endpoint. */
	tokenUrl: string;
	audience: string;
}

const DEFAULT_TOKEN_URL = 'https://auth.play2sell.com/oauth/token';
export const DEFAULT_AUDIENCE = 'https://api.play2sell.com';

/** API origins of the hosted environments. */
const ENVIRONMENT_ORIGINS: Record<Exclude<SalesOsEnvironment, 'custom'>, string> = {
	production: 'https://api.play2sell.com',
	staging: 'https://api-staging.play2sell.com',
};

/** Path of the Default Integration below the API origin. */
export const DEFAULT_INTEGRATION_PATH = '/functions/v1/default-integration';

/** The credential fields that decide the endpoints (both credential types share them). */
export interface SalesOsHostSettings {
	environment?: unknown;
	host?: unknown;
	tokenUrl?: unknown;
	audience?: unknown;
}

function trimmed(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

function withoutTrailingSlashes(url: string): string {
	return url.replace(/\/+$/, '');
}

/** The API origin: the environment's, or the custom `host` (e.g. `http://127.0.0.1:4010`). */
function apiOrigin(settings: SalesOsHostSettings): string {
	const environment = (trimmed(settings.environment) || 'production') as SalesOsEnvironment;
	if (environment !== 'custom') {
		const origin = ENVIRONMENT_ORIGINS[environment];
		if (!origin) throw new Error(`Unknown SalesOS environment "${environment}" in the credential`);
		return origin;
	}
	const host = withoutTrailingSlashes(trimmed(settings.host));
	if (!/^https?:\/\/[^/]/i.test(host)) {
		throw new Error(
			'The SalesOS credential uses a custom environment but its Host is missing or not an http(s) URL. Set Host to the API origin, e.g. https://salesos.example.com',
		);
	}
	return host;
}

export function resolveEndpoints(settings: SalesOsHostSettings): SalesOsEndpoints {
	const origin = apiOrigin(settings);
	const custom = trimmed(settings.environment) === 'custom';
	return {
		restBaseUrl: `${origin}/v1`,
		defaultIntegrationUrl: `${origin}${DEFAULT_INTEGRATION_PATH}`,
		// A custom gateway usually serves its own token endpoint beside the API.
		tokenUrl: custom ? trimmed(settings.tokenUrl) || `${origin}/oauth/token` : DEFAULT_TOKEN_URL,
		audience: custom ? trimmed(settings.audience) || DEFAULT_AUDIENCE : DEFAULT_AUDIENCE,
	};
}

/**
 * The REST base URL as an n8n expression over `$credentials`, for the credentials' declarative
 * `test` request (which n8n evaluates without running our code). Built from the same constants.
 */
export const REST_BASE_URL_EXPRESSION =
	'={{ $credentials.environment === "custom" ? $credentials.host.trim().replace(/\\/+$/, "") + "/v1" : ' +
	`({ production: "${ENVIRONMENT_ORIGINS.production}/v1", staging: "${ENVIRONMENT_ORIGINS.staging}/v1" })[$credentials.environment] }}`;

/** The API origin as the body of an n8n expression over `$credentials`. */
const ORIGIN_EXPRESSION =
	'($credentials.environment === "custom" ? $credentials.host.trim().replace(/\\/+$/, "") : ' +
	`({ production: "${ENVIRONMENT_ORIGINS.production}", staging: "${ENVIRONMENT_ORIGINS.staging}" })[$credentials.environment])`;

/**
 * The API-key credential's test request base URL: the REST base when the credential has an API
 * Secret (which signs REST requests only), else the Default Integration.
 */
export const API_KEY_TEST_BASE_URL_EXPRESSION = `={{ ${ORIGIN_EXPRESSION} + ($credentials.apiSecret ? "/v1" : "${DEFAULT_INTEGRATION_PATH}") }}`;
