// What n8n's `httpRequestWithAuthentication` really throws, per n8n line, recorded with
// `<install>/node_modules/.bin/node scripts/n8n/capture-request-errors.js <install>` against the
// n8n installs of scripts/n8n/install.ts (own properties; `isError` marks Error instances; request
// internals and volatile headers such as Date left out). Replayed by test/transport-error-shapes.test.ts.

/** An error rebuilt from a recording: Error instances again, with the recorded own properties. */
export function rebuildError(recorded: Record<string, any>): Error {
	const { isError: _isError, message, cause, ...properties } = recorded;
	const error = new Error(message);
	Object.assign(error, properties);
	if (cause && typeof cause === 'object') {
		Object.defineProperty(error, 'cause', { value: cause.isError ? rebuildError(cause) : cause, enumerable: false });
	}
	return error;
}

export const N8N_1_X_ERRORS = {
	"n8nVersion": "1.123.81",
	"conflict": {
		"level": "warning",
		"description": "A lead with this email already exists",
		"context": {
			"data": {
				"error": {
					"code": "CONFLICT",
					"message": "A lead with this email already exists",
					"details": [
						{
							"field": "email",
							"message": "already taken"
						}
					],
					"existing_id": "lead-1"
				}
			}
		},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"Request failed with status code 409"
		],
		"httpCode": "409",
		"message": "Your request is invalid or could not be processed by the service",
		"isError": true
	},
	"invalid": {
		"level": "warning",
		"description": "Invalid fields",
		"context": {
			"data": {
				"error": {
					"code": "VALIDATION_ERROR",
					"message": "Invalid fields",
					"details": [
						{
							"field": "email",
							"message": "is not an email"
						}
					]
				}
			}
		},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"Request failed with status code 422"
		],
		"httpCode": "422",
		"message": "Your request is invalid or could not be processed by the service",
		"isError": true
	},
	"rateLimited": {
		"level": "warning",
		"description": "Too many requests",
		"context": {
			"data": {
				"error": {
					"code": "RATE_LIMITED",
					"message": "Too many requests",
					"retry_after": 7
				}
			}
		},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"Request failed with status code 429"
		],
		"httpCode": "429",
		"message": "The service is receiving too many requests from you",
		"isError": true
	},
	"badGateway": {
		"level": "warning",
		"description": "Request failed with status code 502",
		"context": {},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"Request failed with status code 502"
		],
		"httpCode": "502",
		"message": "Bad gateway - the service failed to handle your request",
		"isError": true
	},
	"refused": {
		"level": "warning",
		"context": {},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"connect ECONNREFUSED 127.0.0.1:38141",
			"connect ECONNREFUSED 127.0.0.1:38141"
		],
		"httpCode": "ECONNREFUSED",
		"message": "The service refused the connection - perhaps it is offline",
		"isError": true
	},
	"token": {
		"level": "warning",
		"context": {},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"Could not reach the SalesOS token URL"
		],
		"httpCode": null,
		"message": "Could not reach the SalesOS token URL",
		"isError": true
	}
};

export const N8N_2_X_ERRORS = {
	"n8nVersion": "2.40.7",
	"conflict": {
		"level": "warning",
		"shouldReport": true,
		"description": "A lead with this email already exists",
		"context": {
			"data": {
				"error": {
					"code": "CONFLICT",
					"message": "A lead with this email already exists",
					"details": [
						{
							"field": "email",
							"message": "already taken"
						}
					],
					"existing_id": "lead-1"
				}
			}
		},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"Request failed with status code 409"
		],
		"httpCode": "409",
		"message": "Your request is invalid or could not be processed by the service",
		"cause": {
			"message": "Request failed with status code 409",
			"name": "AxiosError",
			"isAxiosError": true,
			"code": "ERR_BAD_REQUEST",
			"response": {
				"status": 409,
				"statusText": "Conflict",
				"headers": {
					"content-type": "application/json"
				},
				"data": {
					"error": {
						"code": "CONFLICT",
						"message": "A lead with this email already exists",
						"details": [
							{
								"field": "email",
								"message": "already taken"
							}
						],
						"existing_id": "lead-1"
					}
				}
			},
			"status": 409,
			"isError": true
		},
		"isError": true
	},
	"invalid": {
		"level": "warning",
		"shouldReport": true,
		"description": "Invalid fields",
		"context": {
			"data": {
				"error": {
					"code": "VALIDATION_ERROR",
					"message": "Invalid fields",
					"details": [
						{
							"field": "email",
							"message": "is not an email"
						}
					]
				}
			}
		},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"Request failed with status code 422"
		],
		"httpCode": "422",
		"message": "Your request is invalid or could not be processed by the service",
		"cause": {
			"message": "Request failed with status code 422",
			"name": "AxiosError",
			"isAxiosError": true,
			"code": "ERR_BAD_REQUEST",
			"response": {
				"status": 422,
				"statusText": "Unprocessable Entity",
				"headers": {
					"content-type": "application/json"
				},
				"data": {
					"error": {
						"code": "VALIDATION_ERROR",
						"message": "Invalid fields",
						"details": [
							{
								"field": "email",
								"message": "is not an email"
							}
						]
					}
				}
			},
			"status": 422,
			"isError": true
		},
		"isError": true
	},
	"rateLimited": {
		"level": "warning",
		"shouldReport": true,
		"description": "Too many requests",
		"context": {
			"data": {
				"error": {
					"code": "RATE_LIMITED",
					"message": "Too many requests",
					"retry_after": 7
				}
			}
		},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"Request failed with status code 429"
		],
		"httpCode": "429",
		"message": "The service is receiving too many requests from you",
		"cause": {
			"message": "Request failed with status code 429",
			"name": "AxiosError",
			"isAxiosError": true,
			"code": "ERR_BAD_REQUEST",
			"response": {
				"status": 429,
				"statusText": "Too Many Requests",
				"headers": {
					"content-type": "application/json",
					"retry-after": "7",
					"x-ratelimit-reset": "1900000000"
				},
				"data": {
					"error": {
						"code": "RATE_LIMITED",
						"message": "Too many requests",
						"retry_after": 7
					}
				}
			},
			"status": 429,
			"isError": true
		},
		"isError": true
	},
	"badGateway": {
		"level": "warning",
		"shouldReport": true,
		"description": "Request failed with status code 502",
		"context": {},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"Request failed with status code 502"
		],
		"httpCode": "502",
		"message": "Bad gateway - the service failed to handle your request",
		"cause": {
			"message": "Request failed with status code 502",
			"name": "AxiosError",
			"isAxiosError": true,
			"code": "ERR_BAD_RESPONSE",
			"response": {
				"status": 502,
				"statusText": "Bad Gateway",
				"headers": {
					"content-type": "text/html"
				},
				"data": "<html>Bad gateway</html>"
			},
			"status": 502,
			"isError": true
		},
		"isError": true
	},
	"refused": {
		"level": "warning",
		"shouldReport": true,
		"context": {},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"connect ECONNREFUSED 127.0.0.1:37591",
			"connect ECONNREFUSED 127.0.0.1:37591"
		],
		"httpCode": "ECONNREFUSED",
		"message": "The service refused the connection - perhaps it is offline",
		"cause": {
			"message": "connect ECONNREFUSED 127.0.0.1:37591",
			"name": "Error",
			"isAxiosError": true,
			"code": "ECONNREFUSED",
			"cause": {
				"errno": -111,
				"code": "ECONNREFUSED",
				"syscall": "connect",
				"address": "127.0.0.1",
				"port": 37591,
				"name": "Error",
				"message": "connect ECONNREFUSED 127.0.0.1:37591",
				"isError": true
			},
			"isError": true
		},
		"isError": true
	},
	"token": {
		"level": "warning",
		"shouldReport": true,
		"context": {},
		"functionality": "regular",
		"name": "NodeApiError",
		"messages": [
			"Could not reach the SalesOS token URL"
		],
		"httpCode": null,
		"message": "Could not reach the SalesOS token URL",
		"cause": {
			"name": "SalesOsTokenError",
			"retryable": true,
			"message": "Could not reach the SalesOS token URL",
			"isError": true
		},
		"isError": true
	}
};
