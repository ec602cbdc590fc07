// The answer of a DELETE that names several ids (delete-dialog reference): 200 with
// `{"SuccessfullyDeleted":{"ids":[…]},"WrongPermissions":{"ids":[…]},"NotFound":{"ids":[…]}}`.
// With one id the docs answer 200 and an empty body; that id's failure is then a plain 403 / 404.
// Messages: the delete-message reference answers several ids with an empty 200 too, so the report
// body appears there only when some id could not be deleted.
import type { Reply } from './context';
import { forbidden, notFound } from './errors';

export class DeletionReport {
  private readonly deleted: string[] = [];
  private readonly wrongPermissions: string[] = [];
  private readonly notFound: string[] = [];

  constructor(private readonly what: 'dialog' | 'message') {}

  succeeded(id: string): void {
    this.deleted.push(id);
  }

  forbidden(id: string): void {
    this.wrongPermissions.push(id);
  }

  missing(id: string): void {
    this.notFound.push(id);
  }

  reply(requested: number): Reply {
    const allDeleted = this.wrongPermissions.length === 0 && this.notFound.length === 0;
    if (requested === 1 || (this.what === 'message' && allDeleted)) {
      if (this.notFound.length) throw notFound(`There is no ${this.what} ${this.notFound[0]} you can see.`);
      if (this.wrongPermissions.length) {
        throw forbidden(`You may not delete ${this.what} ${this.wrongPermissions[0]} for everyone (force=1): only its owner may.`);
      }
      return { status: 200 };
    }
    return {
      status: 200,
      body: {
        SuccessfullyDeleted: { ids: this.deleted },
        WrongPermissions: { ids: this.wrongPermissions },
        NotFound: { ids: this.notFound },
      },
    };
  }
}
