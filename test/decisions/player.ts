// Lives in testkit/ (bench/ shares it); this path stays for tests that import it.
export * from '../../testkit/decisions-player.ts';
