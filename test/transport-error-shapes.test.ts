/**
 * The transport reads SalesOS's answer from the error n8n 1.x and n8n 2.x really throw (recorded
 * from real installs, see helpers/requestErrorShapes.ts): n8n 2.x keeps the AxiosError as `cause`,
 * n8n 1.x drops it and keeps only `httpCode`, `context.data` and `messages`.
 */
import { describeFailure, type FailureContext } from '../nodes/SalesOs/transport/errors';
import { classifyFailure, retryDecision, waitHintSeconds } from '../nodes/SalesOs/transport/retry';
import { N8N_1_X_ERRORS, N8N_2_X_ERRORS, rebuildError } from './helpers/requestErrorShapes';

const context: FailureContext = {
	method: 'POST',
	path: '/leads',
	apiLabel: 'the SalesOS API',
	authentication: 'clientCredentials',
	attempts: 1,
	waitedSeconds: 0,
	retriedAfterAmbiguousFailure: false,
	mayHaveBeenProcessed: false,
	secrets: [],
};

describe.each([
	['n8n 1.x', N8N_1_X_ERRORS],
	['n8n 2.x', N8N_2_X_ERRORS],
])('%s: what httpRequestWithAuthentication throws', (_line, recorded) => {
	const classify = (key: keyof typeof recorded) => classifyFailure(rebuildError(recorded[key] as Record<string, any>));

	test('409: status, SalesOS code, conflicting field and existing id', () => {
		const failure = classify('conflict');
		expect(failure).toMatchObject({ kind: 'http', status: 409 });
		const { message, description, info } = describeFailure(failure, context);
		expect(info).toMatchObject({ status: 409, code: 'CONFLICT', existingId: 'lead-1', details: [{ field: 'email', message: 'already taken' }] });
		expect(message).toBe('SalesOS already has a record with this email (existing record lead-1) (409 Conflict)');
		expect(description).not.toMatch(/was not sent/);
	});

	test('422: every field error', () => {
		const { message, info } = describeFailure(classify('invalid'), context);
		expect(info).toMatchObject({ status: 422, code: 'VALIDATION_ERROR', details: [{ field: 'email', message: 'is not an email' }] });
		expect(message).toBe('SalesOS rejected 1 field of POST /leads: email: is not an email');
	});

	test('429: retried, after the wait SalesOS asked for', () => {
		const failure = classify('rateLimited');
		expect(failure).toMatchObject({ kind: 'http', status: 429 });
		expect(retryDecision(failure, 'POST', false)).toEqual({ retry: true, ambiguous: false });
		expect(waitHintSeconds(failure)).toBe(7);
	});

	test('502 with an HTML page: status kept, retried only when safe', () => {
		const failure = classify('badGateway');
		expect(failure).toMatchObject({ kind: 'http', status: 502 });
		expect(retryDecision(failure, 'GET', false)).toEqual({ retry: true, ambiguous: true });
		expect(describeFailure(failure, { ...context, method: 'GET' }).message).toBe('SalesOS failed with 502 for GET /leads');
	});

	test('refused connection: a network failure that never reached SalesOS', () => {
		const failure = classify('refused');
		expect(failure).toMatchObject({ kind: 'network', code: 'ECONNREFUSED', message: expect.stringMatching(/^connect ECONNREFUSED/) });
		expect(retryDecision(failure, 'POST', false)).toEqual({ retry: true, ambiguous: false });
	});
});

describe('what differs between the lines', () => {
	test('n8n 2.x keeps the response headers: Retry-After is read from them', () => {
		const failure = classifyFailure(rebuildError(N8N_2_X_ERRORS.rateLimited));
		expect(failure).toMatchObject({ headers: { 'retry-after': '7', 'x-ratelimit-reset': '1900000000' } });
	});

	test('n8n 1.x drops the headers: the wait comes from the body (error.retry_after)', () => {
		const failure = classifyFailure(rebuildError(N8N_1_X_ERRORS.rateLimited));
		expect(failure).toMatchObject({ headers: {}, body: { error: { retry_after: 7 } } });
	});

	test('a token failure is recognised on n8n 2.x; n8n 1.x keeps only its message', () => {
		expect(classifyFailure(rebuildError(N8N_2_X_ERRORS.token))).toEqual({
			kind: 'token',
			message: 'Could not reach the SalesOS token URL',
			retryable: true,
		});
		expect(classifyFailure(rebuildError(N8N_1_X_ERRORS.token))).toEqual({
			kind: 'other',
			message: 'Could not reach the SalesOS token URL',
		});
	});
});
