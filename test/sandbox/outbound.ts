// Outgoing HTTP of the sandbox (webhook deliveries, the external stand-in's sends).
import http from 'node:http';
import https from 'node:https';
import type { HttpExchangeResult } from './types';

export interface OutboundRequest {
	url: string;
	method?: string;
	headers?: Record<string, string>;
	body?: Buffer | string;
	timeoutMs: number;
}

/** Never throws: network failures and timeouts come back as `status: null` with `error`. */
export function httpExchange(request: OutboundRequest): Promise<HttpExchangeResult> {
	const started = Date.now();
	return new Promise((resolve) => {
		let settled = false;
		const finish = (result: Omit<HttpExchangeResult, 'durationMs'>) => {
			if (settled) return;
			settled = true;
			resolve({ ...result, durationMs: Date.now() - started });
		};
		let url: URL;
		try {
			url = new URL(request.url);
		} catch {
			finish({ status: null, error: `invalid URL: ${request.url}`, headers: {}, body: null });
			return;
		}
		const body = request.body === undefined ? undefined : Buffer.from(request.body);
		const transport = url.protocol === 'https:' ? https : http;
		const req = transport.request(url, {
			method: request.method ?? 'POST',
			headers: { ...(body ? { 'Content-Length': String(body.length) } : {}), ...request.headers },
			agent: false,
		});
		const timer = setTimeout(() => {
			req.destroy();
			finish({ status: null, error: `timeout after ${request.timeoutMs} ms`, headers: {}, body: null });
		}, request.timeoutMs);
		req.on('response', (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				clearTimeout(timer);
				finish({ status: res.statusCode ?? null, headers: res.headers, body: parseMaybeJson(Buffer.concat(chunks).toString('utf8')) });
			});
			res.on('error', (error) => {
				clearTimeout(timer);
				finish({ status: res.statusCode ?? null, error: error.message, headers: res.headers, body: null });
			});
		});
		req.on('error', (error: NodeJS.ErrnoException) => {
			clearTimeout(timer);
			finish({ status: null, error: error.code ?? error.message, headers: {}, body: null });
		});
		req.end(body);
	});
}

export function parseMaybeJson(text: string): unknown {
	if (text === '') return '';
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}
