import { ConfigError, StateUnavailableError } from '../domain/errors.js';

/** Where the AWS Parameters and Secrets Lambda Extension listens, and the token it checks. */
export interface ExtensionOptions {
  /** Default: localhost on PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, else 2773 (the layer's) */
  readonly origin?: string;
  /** The function's session token, which the extension takes as its SSRF token */
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

/**
 * SSM parameters and Secrets Manager secrets read through the AWS Parameters and Secrets Lambda
 * Extension (a layer): one HTTP GET on localhost, so no function bundles the SSM or Secrets
 * Manager clients for the one read its cold start makes. The extension only answers during an
 * invoke, never in the init phase; the wiring reads on the first invoke.
 */
export class ParametersAndSecrets {
  readonly #origin: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: ExtensionOptions = {}) {
    const port = process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
    this.#origin = options.origin ?? `http://localhost:${port}`;
    this.#token = options.token ?? process.env.AWS_SESSION_TOKEN;
    this.#fetch = options.fetch ?? fetch;
  }

  /** An SSM parameter's value (a SecureString decrypted). */
  async parameter(name: string): Promise<string> {
    const body = await this.#get(
      `/systemsmanager/parameters/get?name=${encodeURIComponent(name)}&withDecryption=true`,
      `SSM parameter ${name}`,
    );
    const value = (body as { Parameter?: { Value?: unknown } }).Parameter?.Value;
    if (typeof value !== 'string') throw new ConfigError(`SSM parameter ${name} has no value`);
    return value;
  }

  /** A secret's current SecretString. */
  async secretString(id: string): Promise<string> {
    const body = await this.#get(
      `/secretsmanager/get?secretId=${encodeURIComponent(id)}`,
      `secret ${id}`,
    );
    const value = (body as { SecretString?: unknown }).SecretString;
    if (typeof value !== 'string') throw new ConfigError(`secret ${id} has no SecretString`);
    return value;
  }

  async #get(path: string, what: string): Promise<unknown> {
    if (this.#token === undefined) {
      throw new ConfigError(`cannot read ${what}: AWS_SESSION_TOKEN is not set (not in a Lambda?)`);
    }
    let response: Response;
    try {
      response = await this.#fetch(this.#origin + path, {
        headers: { 'X-Aws-Parameters-Secrets-Token': this.#token },
      });
    } catch (error) {
      // Nothing listens: the layer is missing from the function, which no retry mends
      throw new ConfigError(
        `cannot read ${what}: no Parameters and Secrets extension at ${this.#origin} (${(error as Error).message}); does the function have the layer?`,
        { cause: error },
      );
    }
    const text = await response.text();
    if (response.status === 429 || response.status >= 500) {
      throw new StateUnavailableError(`reading ${what} failed for now: ${response.status} ${text}`);
    }
    // The extension answers a missing name or a denied read with a 4xx and the service's message
    if (!response.ok) throw new ConfigError(`cannot read ${what}: ${response.status} ${text}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new ConfigError(`cannot read ${what}: the extension answered ${text.slice(0, 200)}`);
    }
  }
}
