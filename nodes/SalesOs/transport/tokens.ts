/**
 * One access token per n8n process and SalesOS API client. n8n keeps the token in the stored
 * credential, but every execution reads the credential when it starts: executions that start
 * together all find it empty (or all hold the token SalesOS just expired) and would each fetch
 * their own. The credential's preAuthentication asks here instead, so the process fetches once:
 * - a token request in flight is shared by everyone who needs one meanwhile;
 * - a caller without a token gets the latest one this process fetched;
 * - a caller whose token SalesOS refused (`rejected`) gets the latest one if it is a different,
 *   newer token, and a new one only when the refused token is the latest.
 */
const latestTokens = new Map<string, string>();
const tokenRequests = new Map<string, Promise<string>>();

/** `clientKey` names the token endpoint and the client; `rejected` is the caller's token ('' for none). */
export async function sharedAccessToken(
	clientKey: string,
	rejected: string,
	fetchToken: () => Promise<string>,
): Promise<string> {
	const pending = tokenRequests.get(clientKey);
	if (pending) return await pending;
	const latest = latestTokens.get(clientKey);
	if (latest !== undefined && latest !== rejected) return latest;
	const request = fetchToken()
		.then((token) => {
			latestTokens.set(clientKey, token);
			return token;
		})
		.finally(() => tokenRequests.delete(clientKey));
	tokenRequests.set(clientKey, request);
	return await request;
}

/** Forgets every token (tests start each case against a fresh SalesOS sandbox). */
export function forgetAccessTokens(): void {
	latestTokens.clear();
}
