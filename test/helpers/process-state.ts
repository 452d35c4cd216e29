// The transport keeps rate-limit budgets and access tokens per process (as n8n runs it); every
// test starts against a freshly reset sandbox, so it starts with none.
import { forgetPacing } from '../../nodes/SalesOs/transport/pacing';
import { forgetAccessTokens } from '../../nodes/SalesOs/transport/tokens';

beforeEach(() => {
	forgetPacing();
	forgetAccessTokens();
});
