import { BudgetFaults } from './budget-faults.js';
import { FaultRules } from './faults.js';
import { WebhookFaults } from './webhook-faults.js';

/**
 * Every fault rule a test suite set, by where it acts: on API requests (answers, latency, connections), on daily
 * budgets, on webhook deliveries. One id sequence across them, so a listing names each rule once.
 */
export class FaultSet {
  private nextId = 1;
  private readonly newId = () => this.nextId++;
  readonly requests = new FaultRules(this.newId);
  readonly budgets = new BudgetFaults(this.newId);
  readonly deliveries = new WebhookFaults(this.newId);

  /** Every rule, oldest first, with how often it matched and fired. */
  list(now: number): Array<{ id: number; type: string }> {
    const rules = [
      ...this.requests.list().map((rule) => ({ type: 'http', ...rule })),
      ...this.budgets.list(now),
      ...this.deliveries.list(),
    ];
    return rules.sort((a, b) => a.id - b.id);
  }

  clear(): void {
    this.requests.clear();
    this.budgets.clear();
    this.deliveries.clear();
  }
}
