import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { BulkResultReport } from './BulkResultReport';

describe('BulkResultReport', () => {
  it('names each refused row with its reason, translated by code or else the server message', () => {
    const labels: Record<string, string> = { a: 'LDAP main', b: 'b-id' };
    render(
      <BulkResultReport
        testId="report"
        labelOf={(id) => labels[id] ?? id}
        refused={[
          { id: 'a', ok: false, code: 'provider.activeCannotBeDeleted', message: 'active' },
          { id: 'b', ok: false, code: 'some.unknownCode', message: 'the server says no' },
        ]}
      />,
    );
    const items = screen.getByTestId('report').querySelectorAll('li');
    expect([...items].map((li) => li.textContent)).toEqual([
      'LDAP main: An active provider cannot be deleted: deactivate it first.',
      'b-id: the server says no',
    ]);
  });
});
