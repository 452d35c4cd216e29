// A minimal HTTP client for the bench: keep-alive sockets and little per-request work, so the
// load generator takes as small a share of the (shared) CPU as possible.
import { Agent, request } from 'node:http';

export interface HttpResult {
	status: number;
	body: string;
	/** Milliseconds from sending the request to the end of the response. */
	elapsedMs: number;
}

export function keepAliveAgent(maxSockets: number): Agent {
	return new Agent({ keepAlive: true, maxSockets });
}

/** POSTs `body` (an object is sent as JSON, a string or Buffer as is) and reads the whole answer. */
export function post(
	url: string,
	body: unknown,
	options: { headers?: Record<string, string>; agent?: Agent } = {},
): Promise<HttpResult> {
	const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
	const started = performance.now();
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				method: 'POST',
				agent: options.agent,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(payload),
					...options.headers,
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						body: Buffer.concat(chunks).toString(),
						elapsedMs: performance.now() - started,
					}),
				);
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(payload);
	});
}
