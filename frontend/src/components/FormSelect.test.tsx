import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import Form from 'antd/es/form';
import { FormSelect } from './FormSelect';

const OPTIONS = [{ value: 'a', label: 'A' }];

describe('FormSelect', () => {
  it('marks the combobox required, not the outer div of a required field', () => {
    const { container } = render(
      <Form initialValues={{ kind: 'a' }}>
        <Form.Item label="Kind" name="kind" rules={[{ required: true }]}>
          <FormSelect options={OPTIONS} />
        </Form.Item>
      </Form>,
    );
    expect(screen.getByRole('combobox', { name: 'Kind' })).toHaveAttribute('aria-required', 'true');
    expect(container.querySelector('.ant-select')).not.toHaveAttribute('aria-required');
    expect(container.querySelector('.ant-select')).not.toHaveAttribute('aria-disabled');
  });

  it('says a select disabled by itself or by its form is disabled', () => {
    const { container } = render(
      <Form disabled>
        <Form.Item label="Kind" name="kind">
          <FormSelect options={OPTIONS} />
        </Form.Item>
        <FormSelect options={OPTIONS} disabled={false} />
      </Form>,
    );
    const [byForm, enabled] = container.querySelectorAll('.ant-select');
    expect(byForm).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByRole('combobox', { name: 'Kind' })).not.toHaveAttribute('aria-required');
    expect(enabled).not.toHaveAttribute('aria-disabled');
  });
});
