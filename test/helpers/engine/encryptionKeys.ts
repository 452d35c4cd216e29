/**
 * The key n8n-core's Cipher encrypts credentials with. n8n-core asks its EncryptionKeyProxy, which
 * the CLI points at its KeyManagerService on start; without key rotation that service answers
 * every request with the instance key (N8N_USER_FOLDER/.n8n/config, created by n8n-core). This
 * registers the same answer. PINNED to n8n 2.40.7 (packages/cli/src/encryption/
 * key-manager.service.ts, instanceKeyLegacyInfo; encryption-bootstrap.service.ts): on an n8n
 * upgrade, check that the key info is still {id 'instance-key', the instance key wrapped with
 * encryptDEKWithInstanceKey, aes-256-cbc, 'no-prefix'} and that setProvider is still the hook.
 */
import { Cipher, EncryptionKeyProxy, InstanceSettings, type IEncryptionKeyProvider, type KeyInfo } from 'n8n-core';

import { Container } from './n8nContainer';

let registered = false;

/** Registers the instance-key provider once per test process (idempotent). */
export function useInstanceEncryptionKey(): void {
	if (registered) return;
	const cipher = Container.get(Cipher);
	const instanceKey: KeyInfo = {
		id: 'instance-key',
		value: cipher.encryptDEKWithInstanceKey(Container.get(InstanceSettings).encryptionKey),
		algorithm: 'aes-256-cbc',
		format: 'no-prefix',
	};
	const provider: IEncryptionKeyProvider = {
		getActiveKey: async () => instanceKey,
		getLegacyKey: async () => instanceKey,
		getKeyById: async () => null,
	};
	Container.get(EncryptionKeyProxy).setProvider(provider);
	registered = true;
}
