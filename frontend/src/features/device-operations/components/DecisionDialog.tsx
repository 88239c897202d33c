// Approve or reject with a comment: required for a rejection (the user is told why),
// optional for an approval. One issuance or several (bulk approve).
import { useTranslation } from 'react-i18next';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Modal from 'antd/es/modal';
import { TID } from '../../../testids';

interface DecisionDialogProps {
  decision: 'approve' | 'reject' | null;
  /** What is decided, shown in the title (a login, or "3 requests"). */
  subject: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (comment: string) => void;
}

export function DecisionDialog({ decision, subject, busy, onCancel, onConfirm }: DecisionDialogProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ comment: string }>();
  const reject = decision === 'reject';
  return (
    <Modal
      open={decision !== null}
      title={t(reject ? 'devices.issuances.rejectTitle' : 'devices.issuances.approveTitle', { subject })}
      okText={t(reject ? 'devices.issuances.reject' : 'devices.issuances.approve')}
      okButtonProps={{ danger: reject, loading: busy }}
      cancelText={t('common.cancel')}
      onCancel={onCancel}
      onOk={() =>
        form
          .validateFields()
          .then((v) => onConfirm((v.comment ?? '').trim()))
          .catch(() => undefined)
      }
      destroyOnHidden
      wrapProps={{ 'data-testid': TID.issuanceDecisionDialog }}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="comment"
          label={t('devices.issuances.comment')}
          rules={reject ? [{ required: true, whitespace: true, message: t('devices.issuances.commentRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
