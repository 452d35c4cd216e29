// The committed output schemas (nodes/SalesOs/__schema__, what n8n's editor previews after an
// unexecuted SalesOS node) are exactly what scripts/outputSchemas.ts generates from the record specs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { outputSchemas, SCHEMA_FOLDER, serialise } from '../scripts/outputSchemas';

function committedFiles(folder: string): string[] {
	return readdirSync(folder).flatMap((entry) => {
		const path = join(folder, entry);
		return statSync(path).isDirectory() ? committedFiles(path) : [relative(SCHEMA_FOLDER, path)];
	});
}

test('every operation of the action node and every poll resource has a current output schema (npm run schemas)', () => {
	const generated = outputSchemas();
	expect(committedFiles(SCHEMA_FOLDER).sort()).toEqual(Object.keys(generated).sort());
	for (const [path, schema] of Object.entries(generated)) {
		expect({ path, content: readFileSync(join(SCHEMA_FOLDER, path), 'utf8') }).toEqual({ path, content: serialise(schema) });
	}
});

test('a lead record lists the fields the node writes plus what SalesOS adds', () => {
	const lead = outputSchemas()['v1.0.0/lead/get.json'];
	expect(Object.keys(lead.properties!)).toEqual(
		expect.arrayContaining(['id', 'name', 'email', 'phone', 'status', 'owner_id', 'tags', 'custom_fields', 'created_at', 'updated_at']),
	);
	expect(outputSchemas()['v1.0.0/deal/upsert.json'].properties).toMatchObject({
		stage: { type: 'object' },
		value: { type: 'number' },
		operationResult: { type: 'string' },
	});
});
