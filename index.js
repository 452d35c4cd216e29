// The package's entry point: n8n loads the files listed in package.json's "n8n" block;
// this re-export is for tools and tests that require the package directly.
module.exports = {
	...require('./dist/credentials/SalesOsClientCredentialsApi.credentials'),
	...require('./dist/credentials/SalesOsApiKeyApi.credentials'),
	...require('./dist/nodes/SalesOs/SalesOs.node'),
	...require('./dist/nodes/SalesOs/SalesOsTrigger.node'),
	...require('./dist/nodes/SalesOs/SalesOsPollTrigger.node'),
};
