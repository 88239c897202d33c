// A Select for a Form.Item. antd 5's Select puts every aria-* attribute it is given on its
// outer <div>, where the aria-required a required Form.Item adds is not allowed and means
// nothing (ant-design#46030): here it goes on the combobox input the field's label names.
// A disabled select also says so on that <div>, so its greyed text reads as an inactive
// control's rather than as text too faint to read.
import { useContext, useLayoutEffect, useRef } from 'react';
import Select from 'antd/es/select';
import type { RefSelectProps, SelectProps } from 'antd/es/select';
import DisabledContext from 'antd/es/config-provider/DisabledContext';

export type FormSelectProps = SelectProps & { 'aria-required'?: boolean | 'true' | 'false' };

export function FormSelect({ 'aria-required': ariaRequired, ...props }: FormSelectProps) {
  const ref = useRef<RefSelectProps>(null);
  const formDisabled = useContext(DisabledContext);
  const disabled = props.disabled ?? formDisabled;
  const required = ariaRequired === true || ariaRequired === 'true';
  useLayoutEffect(() => {
    const input = ref.current?.nativeElement?.querySelector('input[role="combobox"]');
    if (required) input?.setAttribute('aria-required', 'true');
    else input?.removeAttribute('aria-required');
  });
  return <Select ref={ref} aria-disabled={disabled || undefined} {...props} />;
}
