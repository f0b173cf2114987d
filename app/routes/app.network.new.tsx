// Add a node: the shared NodeForm, parsed by the one nodeInputSchema in the action.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {  } from "@shopify/polaris";
import { AdminPage } from "~/components/admin/AdminPage";
import { NodeForm } from "~/components/NodeForm";
import { EMPTY_NODE_FORM, parseNodeForm } from "~/components/node-form-values";
import { requireAdmin } from "~/services/auth.server";
import { ConflictError, createNode } from "~/services/network.server";

export const meta: MetaFunction = () => [{ title: "Add node · Nearhub" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop, conventions } = await requireAdmin(request);
  return { currency: shop.currency, units: { unitSystem: conventions.unitSystem, weightUnit: conventions.weightUnit }, initialValues: { ...EMPTY_NODE_FORM, timezone: shop.timezone } };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop, conventions } = await requireAdmin(request);
  const result = parseNodeForm(await request.formData(), shop.currency, conventions);
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  try {
    const node = await createNode(shop.id, result.input);
    return redirect(`/app/network?saved=${encodeURIComponent(node.id)}`);
  } catch (error) {
    if (error instanceof ConflictError) return data({ errors: { [error.field]: error.message } }, { status: 409 });
    throw error;
  }
}

export default function NewNode() {
  const { currency, units, initialValues } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <AdminPage layout="form" title="Add node" backAction={{ content: "Network", url: "/app/network" }}>
      <NodeForm
        initialValues={initialValues}
        errors={actionData?.errors}
        currency={currency}
        units={units}
        submitLabel="Save node"
        submitting={navigation.state === "submitting"}
        suggestHandle
      />
    </AdminPage>
  );
}
