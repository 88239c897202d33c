// The Security page's passkeys: the list (name, when added and last used), adding one
// under a name (the browser's passkey dialog), renaming and removing.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import App from "antd/es/app";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import List from "antd/es/list";
import Modal from "antd/es/modal";
import Popconfirm from "antd/es/popconfirm";
import Space from "antd/es/space";
import Spin from "antd/es/spin";
import Tag from "antd/es/tag";
import { isApiError } from "../../../api/http";
import { errorMessage } from "../../../lib/errors";
import { formatDateTime } from "../../../lib/format";
import { TID } from "../../../testids";
import {
  useAddPasskey,
  usePasskeys,
  useRemovePasskey,
  useRenamePasskey,
  type Passkey,
} from "../api/factors";

/** passkeyErrorText says why adding a passkey failed: the browser's refusal or the server's. */
function passkeyErrorText(t: (k: string) => string, err: unknown): string {
  if (isApiError(err)) return errorMessage(t as never, err);
  if (
    err instanceof Error &&
    (err.name === "NotAllowedError" ||
      err.name === "AbortError" ||
      err.name === "InvalidStateError")
  )
    return t("security.passkeyCancelled");
  return errorMessage(t as never, err);
}

/** lastFactor: the only passkey is the last second factor a group requires (it cannot go); onAdded runs after a passkey is added. */
export function PasskeysCard({ lastFactor = false, onAdded }: { lastFactor?: boolean; onAdded?: () => void }) {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const passkeys = usePasskeys();
  const add = useAddPasskey();
  const rename = useRenamePasskey();
  const remove = useRemovePasskey();
  const [name, setName] = useState("");
  const [renaming, setRenaming] = useState<Passkey | null>(null);
  const [form] = Form.useForm<{ name: string }>();

  const onAdd = () =>
    add.mutate(name.trim(), {
      onSuccess: () => {
        setName("");
        notification.success({ message: t("security.passkeyAdded") });
        onAdded?.();
      },
      onError: (e) => notification.error({ message: passkeyErrorText(t, e) }),
    });

  return (
    <Card
      title={t("security.passkeysTitle")}
      style={{ marginTop: 16 }}
      data-testid={TID.securityPasskeys}
    >
      <p style={{ marginTop: 0 }}>{t("security.passkeysIntro")}</p>
      {passkeys.isPending ? (
        <Spin />
      ) : (
        <List<Passkey>
          dataSource={passkeys.data ?? []}
          locale={{ emptyText: t("security.passkeysNone") }}
          renderItem={(p) => (
            <List.Item
              actions={[
                <Button
                  key="rename"
                  size="small"
                  onClick={() => (
                    setRenaming(p), form.setFieldsValue({ name: p.name })
                  )}
                  aria-label={`${t("security.passkeyRename")} ${p.name}`}
                >
                  {t("security.passkeyRename")}
                </Button>,
                <Popconfirm
                  key="remove"
                  title={t("security.passkeyRemoveConfirm", { name: p.name })}
                  okText={t("security.passkeyRemove")}
                  okButtonProps={{ danger: true }}
                  cancelText={t("security.cancel")}
                  onConfirm={() =>
                    remove.mutateAsync(p.id).then(
                      () =>
                        notification.success({
                          message: t("security.passkeyRemoved"),
                        }),
                      (e) => notification.error({ message: errorMessage(t, e) })
                    )
                  }
                >
                  <Button
                    size="small"
                    danger
                    disabled={lastFactor}
                    aria-label={`${t("security.passkeyRemove")} ${p.name}`}
                  >
                    {t("security.passkeyRemove")}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space>
                    <span>{p.name}</span>
                    {p.backed_up && <Tag>{t("security.passkeySynced")}</Tag>}
                  </Space>
                }
                description={`${t("security.passkeyCreated", {
                  date: formatDateTime(p.created_at ?? ""),
                })}, ${
                  p.last_used_at
                    ? t("security.passkeyUsed", {
                        date: formatDateTime(p.last_used_at),
                      })
                    : t("security.passkeyNeverUsed")
                }`}
              />
            </List.Item>
          )}
        />
      )}
      {lastFactor && (passkeys.data?.length ?? 0) > 0 && <p>{t("factorPolicy.lastFactor")}</p>}
      <Space.Compact style={{ marginTop: 12, width: "100%", maxWidth: 480 }}>
        <Input
          aria-label={t("security.passkeyName")}
          placeholder={t("security.passkeyNamePlaceholder")}
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid={TID.securityPasskeyName}
        />
        <Button
          type="primary"
          loading={add.isPending}
          onClick={onAdd}
          data-testid={TID.securityPasskeyAdd}
        >
          {t("security.addPasskey")}
        </Button>
      </Space.Compact>
      <Modal
        open={renaming !== null}
        title={t("security.passkeyRenameTitle")}
        okText={t("security.save")}
        cancelText={t("security.cancel")}
        confirmLoading={rename.isPending}
        onCancel={() => setRenaming(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={({ name: n }) =>
            renaming &&
            rename.mutate(
              { id: renaming.id, name: n.trim() },
              {
                onSuccess: () => {
                  setRenaming(null);
                  notification.success({
                    message: t("security.passkeyRenamed"),
                  });
                },
                onError: (e) =>
                  notification.error({ message: errorMessage(t, e) }),
              }
            )
          }
        >
          <Form.Item
            label={t("security.passkeyName")}
            name="name"
            rules={[
              {
                required: true,
                whitespace: true,
                message: t("fieldErrors.required"),
              },
            ]}
          >
            <Input maxLength={100} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
