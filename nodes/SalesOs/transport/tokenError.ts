/**
 * Thrown by the client-credentials preAuthentication when no access token could be fetched.
 * n8n wraps it (as `cause`) in a NodeApiError; the transport recognises it by name, because the
 * credential and the node may be loaded as separate module instances.
 */
export const TOKEN_ERROR_NAME = 'SalesOsTokenError';

export class SalesOsTokenError extends Error {
	constructor(
		message: string,
		/** True when trying again later may help (network failure, 5xx at the token endpoint). */
		readonly retryable: boolean,
	) {
		super(message);
		this.name = TOKEN_ERROR_NAME;
	}
}
