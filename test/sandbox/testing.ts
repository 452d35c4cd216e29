// Helpers for the sandbox's own tests: axios clients that never throw on HTTP status.
import axios, { type AxiosInstance } from 'axios';
import type { Sandbox } from './index';
import { SANDBOX_AUDIENCE, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './settings';

export function rawClient(sandbox: Sandbox): AxiosInstance {
	return axios.create({ baseURL: sandbox.url, validateStatus: () => true });
}

export async function fetchToken(sandbox: Sandbox): Promise<string> {
	const response = await rawClient(sandbox).post('/oauth/token', {
		client_id: SANDBOX_CLIENT_ID,
		client_secret: SANDBOX_CLIENT_SECRET,
		audience: SANDBOX_AUDIENCE,
		grant_type: 'client_credentials',
	});
	if (response.status !== 200) throw new Error(`token request failed: ${response.status}`);
	return response.data.access_token;
}

/** REST client (base `${url}/v1`) authenticated with a fresh OAuth token. */
export async function restClient(sandbox: Sandbox): Promise<AxiosInstance> {
	const token = await fetchToken(sandbox);
	return axios.create({
		baseURL: `${sandbox.url}/v1`,
		headers: { Authorization: `Bearer ${token}` },
		validateStatus: () => true,
	});
}
