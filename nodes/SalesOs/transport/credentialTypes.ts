export const CLIENT_CREDENTIALS_TYPE = 'salesOsClientCredentialsApi';
export const API_KEY_TYPE = 'salesOsApiKeyApi';

export type SalesOsAuthentication = 'clientCredentials' | 'apiKey';

export function credentialTypeFor(authentication: SalesOsAuthentication): string {
	return authentication === 'apiKey' ? API_KEY_TYPE : CLIENT_CREDENTIALS_TYPE;
}
