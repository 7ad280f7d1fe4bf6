import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultProvider } from '../../../shared/runtime/lambda-credentials.js';

const VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
];
let saved: Record<string, string | undefined>;
beforeEach(() => {
  saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  for (const name of VARIABLES) delete process.env[name];
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("the Lambda bundles' credential provider", () => {
  it("reads the role's credentials from the environment, as Lambda sets them", async () => {
    // Prepare
    process.env.AWS_ACCESS_KEY_ID = 'ASIAEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
    process.env.AWS_SESSION_TOKEN = 'token';
    // Act
    const credentials = await defaultProvider()();
    // Assess
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('fails saying so when the environment holds none, rather than trying another source', async () => {
    await expect(defaultProvider()()).rejects.toThrow(
      'Unable to find environment variable credentials',
    );
  });
});
