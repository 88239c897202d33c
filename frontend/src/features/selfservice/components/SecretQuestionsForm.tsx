// Setting the secret questions: all of them with their answers at once (the server replaces
// the set). Answers are typed, hashed by the server and never shown back.
import { useTranslation } from 'react-i18next';
import App from 'antd/es/app';
import Button from 'antd/es/button';
import Form from 'antd/es/form';
import Input from 'antd/es/input';
import Space from 'antd/es/space';
import { placeOrNotify } from '../../../lib/errors';
import { TID } from '../../../testids';
import { useSetSecretQuestions } from '../api/selfservice';
import type { SecretQuestions } from '../api/types';

interface Values {
  questions: { question: string; answer: string }[];
}

export function SecretQuestionsForm({ current, onSaved }: { current: SecretQuestions; onSaved?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSetSecretQuestions();
  const rows = Math.max(current.required, current.questions.length, 1);
  const initial: Values = {
    questions: Array.from({ length: rows }, (_, i) => ({ question: current.questions[i]?.question ?? '', answer: '' })),
  };

  const submit = (v: Values) =>
    save.mutate(
      { questions: v.questions.map((q) => ({ question: q.question.trim(), answer: q.answer })) },
      {
        onSuccess: () => {
          void message.success(t('selfService.questions.saved'));
          form.resetFields();
          onSaved?.();
        },
        onError: (e) => placeOrNotify(t, form, e, (m) => void message.error(m)),
      },
    );

  const req = [{ required: true, whitespace: true, message: t('selfService.questions.required') }];
  return (
    <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} data-testid={TID.selfServiceQuestions} autoComplete="off">
      <Form.List name="questions">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} align="start" wrap style={{ display: 'flex' }}>
                <Form.Item name={[f.name, 'question']} label={t('selfService.questions.question', { n: i + 1 })} rules={req} style={{ minWidth: 280 }}>
                  <Input />
                </Form.Item>
                <Form.Item name={[f.name, 'answer']} label={t('selfService.questions.answer', { n: i + 1 })} rules={req} style={{ minWidth: 220 }}>
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
                {fields.length > Math.max(current.required, 1) && (
                  <Button style={{ marginTop: 30 }} onClick={() => remove(f.name)}>
                    {t('selfService.questions.remove')}
                  </Button>
                )}
              </Space>
            ))}
            <Space>
              {fields.length < 10 && <Button onClick={() => add({ question: '', answer: '' })}>{t('selfService.questions.add')}</Button>}
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid={TID.selfServiceQuestionsSave}>
                {t('selfService.questions.save')}
              </Button>
            </Space>
          </>
        )}
      </Form.List>
    </Form>
  );
}
