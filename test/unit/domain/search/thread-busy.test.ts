import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { threadBusy } from '../../../../src/domain/search/search-index-upkeep.ts';

// The signal the merge into one piece yields to (SearchIndexUpkeep): this thread at work more than half the time.
it('threadBusy: busy after the thread worked, not after it waited', async () => {
  const busy = threadBusy();
  await sleep(100);
  assert.equal(busy(), false, 'after 100 ms of waiting');
  const until = performance.now() + 100;
  while (performance.now() < until);
  assert.equal(busy(), true, 'after 100 ms of work');
  await sleep(100);
  assert.equal(busy(), false, 'counted since the last call only');
});
