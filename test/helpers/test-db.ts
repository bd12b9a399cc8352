/** Where the test run's store is: set once by the root hooks, read by every suite. */
let uri: string | undefined;

export function setTestMongoUri(value: string): void {
  uri = value;
}

export function testMongoUri(): string {
  if (!uri) throw new Error('the test store is not started (root hooks did not run)');
  return uri;
}
