import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlpacaSecret } from '../constructs/alpaca-secret.js';
import { StateStorage } from '../constructs/state-storage.js';

/**
 * What outlives a deploy: the run's state and the user's broker keys, all retained when the stack
 * is deleted. Kept apart from the compute so that replacing the trading stack never touches them.
 */
export class DataStack extends Stack {
  readonly storage: StateStorage;
  readonly alpaca: AlpacaSecret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.storage = new StateStorage(this, 'State');
    this.alpaca = new AlpacaSecret(this, 'Alpaca');
    // What `npm run bot -- … --table NAME` and the README's secret step need to name
    new CfnOutput(this, 'StateTableName', {
      description: 'The state table: npm run bot -- status --table <this> --region <region>',
      value: this.storage.table.tableName,
    });
    new CfnOutput(this, 'AlpacaSecretArn', {
      description:
        'Put the Alpaca keys here: aws secretsmanager put-secret-value --secret-id <this>',
      value: this.alpaca.secret.secretArn,
    });
  }
}
