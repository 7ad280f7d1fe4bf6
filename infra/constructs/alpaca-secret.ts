import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The fields the user fills in after deploy. The template only holds placeholders: `secret` is
 * generated at deploy so that no key, real or fake, is ever in the template or the code.
 */
export const ALPACA_SECRET_PLACEHOLDER = {
  keyId: 'REPLACE_WITH_YOUR_ALPACA_KEY_ID',
  // Paper trading until the user changes it: a fresh deploy must never trade real money
  endpoint: 'https://paper-api.alpaca.markets',
} as const;

/** The Alpaca API keys and endpoint, read by the functions once per cold start. */
export class AlpacaSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description:
        'Alpaca API credentials for the trading bot: set keyId, secret and endpoint (paper or live)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify(ALPACA_SECRET_PLACEHOLDER),
        generateStringKey: 'secret',
        excludePunctuation: true,
      },
      // The user's keys live only here: deleting the stack must not take them along
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Alpaca issues API keys in its dashboard and has no API to rotate them, so a rotation ' +
        'Lambda has nothing to call; the user regenerates the keys there and updates this secret',
    });
  }
}
