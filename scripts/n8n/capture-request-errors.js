// Records what an installed n8n's `httpRequestWithAuthentication` throws for the failures the
// transport must read (409, 422, 429 with wait hints, refused connection, a credential whose
// preAuthentication throws), as JSON on stdout. The transport's unit test replays these objects
// (test/fixtures/request-errors.ts), so it tests the shapes each n8n line really produces.
//
//   <install>/node_modules/.bin/node scripts/n8n/capture-request-errors.js <install folder>
//
// Plain CommonJS so it runs on the install's own Node without this repository's toolchain.
const http = require('node:http');
const path = require('node:path');

const home = process.argv[2];
if (!home) throw new Error('Usage: node capture-request-errors.js <n8n install folder>');
const requireFromN8n = (id) => require(require.resolve(id, { paths: [path.join(home, 'node_modules', 'n8n')] }));
// n8n 2.x moved the helper into request-helpers/authentication.
const helperModules = ['request-helpers/authentication', 'request-helper-functions'].map(
	(file) => `n8n-core/dist/execution-engine/node-execution-context/utils/${file}`,
);
const { httpRequestWithAuthentication } = requireFromN8n(helperModules.find((id) => {
	try {
		return typeof requireFromN8n(id).httpRequestWithAuthentication === 'function';
	} catch {
		return false;
	}
}));
const n8nVersion = require(path.join(home, 'node_modules', 'n8n', 'package.json')).version;

const answers = {
	'/conflict': {
		status: 409,
		headers: {},
		body: { error: { code: 'CONFLICT', message: 'A lead with this email already exists', details: [{ field: 'email', message: 'already taken' }], existing_id: 'lead-1' } },
	},
	'/invalid': {
		status: 422,
		headers: {},
		body: { error: { code: 'VALIDATION_ERROR', message: 'Invalid fields', details: [{ field: 'email', message: 'is not an email' }] } },
	},
	'/limited': {
		status: 429,
		headers: { 'Retry-After': '7', 'X-RateLimit-Reset': '1900000000' },
		body: { error: { code: 'RATE_LIMITED', message: 'Too many requests', retry_after: 7 } },
	},
	'/gateway': { status: 502, headers: { 'Content-Type': 'text/html' }, raw: '<html>Bad gateway</html>' },
};

/** Own properties, including non-enumerable `message`, `name` and `cause`, as plain JSON. */
function snapshot(value, depth = 0) {
	if (value === null || typeof value !== 'object') return value;
	if (depth > 8) return '[deep]';
	if (Array.isArray(value)) return value.map((entry) => snapshot(entry, depth + 1));
	const result = {};
	const keys = new Set(Object.keys(value));
	if (value instanceof Error) ['name', 'message', 'cause', 'code'].forEach((key) => key in value && keys.add(key));
	for (const key of keys) {
		// The request and socket are huge and not part of what the transport reads.
		if (['request', 'config', 'stack', 'node', 'timestamp', 'tags', 'extra'].includes(key)) continue;
		const entry = value[key];
		if (typeof entry === 'function') continue;
		result[key] = key === 'headers' && entry && typeof entry === 'object' ? { ...entry } : snapshot(entry, depth + 1);
	}
	if (value instanceof Error) result.isError = true;
	return result;
}

async function main() {
	const server = http.createServer((request, response) => {
		const answer = answers[request.url];
		response.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
		response.end(answer.raw ?? JSON.stringify(answer.body));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${server.address().port}`;
	const closed = http.createServer();
	await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
	const refusedPort = closed.address().port;
	await new Promise((resolve) => closed.close(resolve));

	const node = { id: 'n', name: 'SalesOS', type: 'n8n-nodes-salesos.salesOs', typeVersion: 1, position: [0, 0], parameters: {} };
	const tokenError = Object.assign(new Error('Could not reach the SalesOS token URL'), { name: 'SalesOsTokenError', retryable: true });
	const helperWith = (preAuthentication) => ({
		getParentTypes: () => [],
		preAuthentication,
		authenticate: async (_credentials, _type, options) => options,
	});
	const capture = async (url, preAuthentication = async () => undefined) => {
		const context = { getNode: () => node, helpers: {} };
		const options = { method: 'POST', url, json: true, returnFullResponse: true, body: { name: 'x' } };
		try {
			await httpRequestWithAuthentication.call(context, 'salesOsApiKeyApi', options, {}, node, { credentialsHelper: helperWith(preAuthentication) }, {
				credentialsDecrypted: { id: 'c', name: 'c', type: 'salesOsApiKeyApi', data: {} },
			});
			return { notThrown: true };
		} catch (error) {
			return snapshot(error);
		}
	};

	const shapes = {
		n8nVersion,
		conflict: await capture(`${origin}/conflict`),
		invalid: await capture(`${origin}/invalid`),
		rateLimited: await capture(`${origin}/limited`),
		badGateway: await capture(`${origin}/gateway`),
		refused: await capture(`http://127.0.0.1:${refusedPort}/leads`),
		token: await capture(`${origin}/conflict`, async () => {
			throw tokenError;
		}),
	};
	server.close();
	process.stdout.write(`${JSON.stringify(shapes, null, '\t')}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
