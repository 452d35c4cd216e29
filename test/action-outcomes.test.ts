/**
 * Issue 12: every outcome SalesOS reports is visible in the node's output, and what the node
 * reports is true — Default Integration results, list filters a SalesOS may ignore, faults that
 * make a create ambiguous, bad input, SalesOS's own messages, the users API, and observability.
 */
import type { IDataObject } from 'n8n-workflow';

import { useActionHarness } from './action-support';
import type { NodeRunResult } from './helpers/engine';

const harness = useActionHarness();
const DI_ROUTE = 'POST /functions/v1/default-integration';

function hintsOf(result: NodeRunResult): string[] {
	const runs = result.result.runData['Node Under Test'] ?? [];
	return runs.flatMap((run) => (run.hints ?? []).map((hint) => hint.message));
}

const errorOf = (json: IDataObject) => json.error as IDataObject;

describe('1. Default Integration results are visible', () => {
	const activities = (count: number, email: string) =>
		Array.from({ length: count }, (_, index) => ({ id: `act-${index}`, email }));
	const syncActivities = (options: IDataObject = {}) => ({
		authentication: 'apiKey',
		resource: 'activity',
		operation: 'sync',
		activityCode: '001',
		externalId: '={{ $json.id }}',
		collaboratorEmail: '={{ $json.email }}',
		options,
	});
	const syncCollaborator = {
		authentication: 'apiKey',
		resource: 'collaborator',
		operation: 'sync',
		email: '={{ $json.email }}',
		name: '={{ $json.name }}',
		externalId: '={{ $json.id }}',
	};

	it('1,001 activities of an unknown collaborator go to the error output with the reason, none as success', async () => {
		const result = await harness.run(syncActivities(), activities(1001, 'ghost@example.com'), 'continueErrorOutput');
		const [synced, failed] = result.outputs;
		expect(synced).toHaveLength(0);
		expect(failed).toHaveLength(1001);
		expect(errorOf(failed[0].json)).toMatchObject({
			message: 'SalesOS skipped 1000 of 1000 activities in request 1: collaborator not found in SalesOS — sync collaborators first',
			status: 200,
			code: 'SKIPPED',
		});
		expect(String(errorOf(failed[1000].json).message)).toContain('skipped 1 of 1 activities in request 2');
		expect(harness.sandbox.records('activities')).toHaveLength(0);
		// The run's totals as an execution hint (n8n shows it above the output).
		expect(hintsOf(result)).toEqual([
			'SalesOS sync_activities: 1,001 activities in 2 requests: 0 processed, 1,001 skipped, 0 duplicates, 0 rejected',
		]);
	});

	it('a known collaborator: every item carries its request’s syncResult; replays count as duplicates', async () => {
		await harness.runOk(syncCollaborator, [{ id: 'rep-1', name: 'Rep', email: 'rep@example.com' }]);
		const first = await harness.run(syncActivities(), activities(3, 'rep@example.com'));
		expect(first.items.map((item) => item.json.syncResult)).toEqual(
			Array(3).fill({ request: 1, requests: 1, processed: 3, skipped: 0, duplicates: 0, rejected: 0, total: 3 }),
		);
		const replay = await harness.runOk(syncActivities(), activities(3, 'rep@example.com'));
		expect(replay[0].syncResult).toMatchObject({ processed: 0, duplicates: 3 });
	});

	it('Skipped Activities: Treat as Success outputs the items with the skipped count', async () => {
		const result = await harness.run(syncActivities({ skippedActivities: 'success' }), activities(2, 'ghost@example.com'));
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.syncResult)).toEqual(
			Array(2).fill({ request: 1, requests: 1, processed: 0, skipped: 2, duplicates: 0, rejected: 0, total: 2 }),
		);
		expect(hintsOf(result)[0]).toContain('2 skipped');
	});

	it('collaborators need External ID, Name and Email (the contract’s required fields): none is sent without them', async () => {
		// n8n refuses empty required parameters itself; expressions that come out empty reach the node.
		const result = await harness.run(
			syncCollaborator,
			[{ email: 'only@example.com' }],
			'continueErrorOutput',
		);
		expect(result.outputs[0]).toHaveLength(0);
		expect(errorOf(result.outputs[1][0].json).message).toBe('External ID is empty');
		expect(harness.sandbox.requestCount(DI_ROUTE)).toBe(0);

		const synced = await harness.runOk(syncCollaborator, [{ id: 'c-1', name: 'Ana', email: 'ana@example.com' }]);
		expect(synced[0]).toMatchObject({ external_id: 'c-1', name: 'Ana', syncResult: { created: 1, existing: 0 } });
		expect(harness.sandbox.records('collaborators')).toHaveLength(1);
	});
});
