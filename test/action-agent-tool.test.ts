/**
 * The SalesOS node as an AI agent's tool: n8n runs it under the type name `salesOsTool` (its
 * convertNodeToAiTool: same node, name + "Tool"). Then the output is compact and a failure is one
 * plain sentence; as the plain node nothing changes. (The agent itself: test/e2e/ai-agent.e2e.ts.)
 */
import { NodeHelpers, type INodeParameters, type INodeTypeDescription } from 'n8n-workflow';

import { SalesOs } from '../nodes/SalesOs/SalesOs.node';
import { TOOL_DESCRIPTIONS } from '../nodes/SalesOs/descriptions/toolDescription';
import { useActionHarness } from './action-support';
import { runNode, TestNodeTypes } from './helpers/engine';

/** What n8n's convertNodeToAiTool makes of the node (the parts execution sees). */
class SalesOsTool extends SalesOs {
	constructor() {
		super();
		this.description = { ...this.description, name: 'salesOsTool', displayName: 'SalesOS Tool' };
	}
}

const harness = useActionHarness();
const nodeTypes = new TestNodeTypes([new SalesOsTool()]);

// Version 1 parameters (Name, Email, Additional Fields); version 2's mapped fields: test/action-mapping.test.ts.
const runAsTool = async (parameters: INodeParameters, input = [{}]) =>
	await runNode({ node: { type: 'salesOsTool', typeVersion: 1, parameters }, input, credentials: harness.credentials, nodeTypes });

const upsertAna = (email: string): INodeParameters => ({
	resource: 'lead',
	operation: 'upsert',
	matchOn: 'email',
	name: 'Ana Souza',
	email,
	additionalFields: { company: 'Acme Ltda' },
});

it('answers an agent with the record ID and the fields that have a value', async () => {
	const asTool = await runAsTool(upsertAna('ana@example.com'));
	expect(asTool.error).toBeUndefined();
	const [lead] = harness.sandbox.records('leads') as any[];
	expect(asTool.items.map((item) => item.json)).toEqual([
		{ id: lead.id, name: 'Ana Souza', email: 'ana@example.com', company: 'Acme Ltda', status: 'new', operationResult: 'created' },
	]);

	// The plain node still returns the whole record.
	const [plain] = await harness.runOk(upsertAna('ana@example.com'));
	expect(plain).toEqual(expect.objectContaining({ id: lead.id, created_at: lead.created_at, tags: [], phone: null, operationResult: 'unchanged' }));
});

it('tells the agent what each operation needs, in one sentence, and only on the tool variant', () => {
	const resolve = (description: INodeTypeDescription, parameters: INodeParameters) =>
		NodeHelpers.getNodeParameters(description.properties, parameters, true, false, null, description)!;
	const plain = new SalesOs().description;
	const tool = new SalesOsTool().description;
	const operations = plain.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) =>
			(property.options as Array<{ value: string }>).map((option) => [property.displayOptions!.show!.resource![0] as string, option.value]),
		);
	expect(operations.length).toBeGreaterThan(20);
	for (const [resource, operation] of operations) {
		const sentence = TOOL_DESCRIPTIONS[resource]?.[operation];
		expect(sentence).toMatch(/^[A-Z].*; needs [^;]+\.$/);
		expect(resolve(tool, { resource, operation }).toolDescription).toBe(sentence);
		expect(resolve(plain, { resource, operation })).not.toHaveProperty('toolDescription');
	}
	expect(Object.values(TOOL_DESCRIPTIONS).flatMap((byOperation) => Object.keys(byOperation))).toHaveLength(operations.length);
});

it('keeps nested values such as the deal stage in a compact list, and says so when nothing matched', async () => {
	harness.sandbox.seed({ resource: 'deals', records: [{ name: 'Acme rollout', company: 'Acme Ltda' }] });
	const { items } = await runAsTool({ resource: 'deal', operation: 'getMany', limit: 5, filters: { search: 'Acme' } });
	expect(items).toHaveLength(1);
	expect(items[0].json).toEqual(expect.objectContaining({ name: 'Acme rollout', stage: expect.objectContaining({ name: expect.any(String) }) }));
	expect(Object.keys(items[0].json)).not.toEqual(expect.arrayContaining(['created_at']));
	expect(Object.values(items[0].json)).not.toContain(null);

	const none = await runAsTool({ resource: 'deal', operation: 'getMany', limit: 5, filters: { search: 'Nobody' } });
	expect(none.items.map((item) => item.json)).toEqual([{ message: 'Nothing in SalesOS matched.' }]);
});

it('fails with one plain sentence naming the refused field; the execution log keeps the details', async () => {
	const { error } = await runAsTool(upsertAna('ana(at)example.com'));
	expect(error?.message).toBe('SalesOS refused the value of email (must be a valid email address); correct it and call the tool again.');
	expect(error?.description).toMatch(/Fix these fields and run again/);
	expect(harness.sandbox.records('leads')).toEqual([]);

	const plain = await harness.run(upsertAna('ana(at)example.com'));
	expect(plain.error?.message).toMatch(/^SalesOS rejected 1 field of POST \/leads/);
});
