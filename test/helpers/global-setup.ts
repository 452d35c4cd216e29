import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes an encryption key file into N8N_USER_FOLDER; keep it out of the user's home.
export default function globalSetup() {
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'salesos-jest-n8n-'));
	// n8n's error reporter logs every failed node to stdout; tests assert on errors instead.
	// Set N8N_LOG_LEVEL=debug to see them.
	process.env.N8N_LOG_LEVEL ??= 'silent';
}
