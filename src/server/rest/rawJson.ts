// A reply body that is JSON text already (built by the store), written as it is instead of stringified.
export class RawJson {
  constructor(readonly text: string) {}
}
