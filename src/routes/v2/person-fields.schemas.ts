import { Type } from '@sinclair/typebox';
import { CUSTOM_FIELD_TYPES } from '../../domain/person-fields/field-types.js';
import { CursorListEnvelope, Envelope, Nullable, StringEnum, query } from '../../http/schemas.js';

const Option = Type.Object({
  id: Type.Integer(),
  label: Type.String(),
  color: Nullable(Type.String()),
  add_time: Nullable(Type.String()),
  update_time: Nullable(Type.String()),
});

const Subfield = Type.Object({ field_code: Type.String(), field_name: Type.String(), field_type: Type.String() });

const UiVisibility = Type.Object({
  add_visible_flag: Type.Boolean(),
  details_visible_flag: Type.Boolean(),
  show_in_add_deal_dialog: Type.Object({ show: Type.Boolean(), order: Nullable(Type.Integer()) }),
});
const ImportantFields = Type.Object({ enabled: Type.Boolean(), stage_ids: Type.Array(Type.Integer()) });
const RequiredFields = Type.Object({ enabled: Type.Boolean() });

export const PersonFieldV2 = Type.Object(
  {
    field_code: Type.String({ description: 'A readable name for system fields, 40 hex characters for custom ones' }),
    field_name: Type.String(),
    field_type: Type.String(),
    options: Nullable(Type.Array(Option)),
    subfields: Nullable(Type.Array(Subfield)),
    is_custom_field: Type.Boolean(),
    is_optional_response_field: Type.Boolean(),
    ui_visibility: Type.Optional(UiVisibility),
    important_fields: Type.Optional(ImportantFields),
    required_fields: Type.Optional(RequiredFields),
  },
  { $id: 'PersonFieldV2' },
);

const UiVisibilityIn = Type.Object(
  {
    add_visible_flag: Type.Optional(Type.Boolean()),
    details_visible_flag: Type.Optional(Type.Boolean()),
    show_in_add_deal_dialog: Type.Optional(
      Type.Object(
        { show: Type.Optional(Type.Boolean()), order: Type.Optional(Nullable(Type.Integer({ description: 'Managed by the server; ignored' }))) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const ImportantFieldsIn = Type.Object(
  { enabled: Type.Optional(Type.Boolean()), stage_ids: Type.Optional(Type.Array(Type.Integer())) },
  { additionalProperties: false },
);
const RequiredFieldsIn = Type.Object({ enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
const Settings = {
  ui_visibility: Type.Optional(UiVisibilityIn),
  important_fields: Type.Optional(ImportantFieldsIn),
  required_fields: Type.Optional(RequiredFieldsIn),
};
const Label = Type.String({ minLength: 1, maxLength: 255 });

export const NewPersonFieldBody = Type.Object(
  {
    field_name: Type.String({ minLength: 1, maxLength: 255 }),
    field_type: StringEnum(CUSTOM_FIELD_TYPES),
    options: Type.Optional(Type.Array(Type.Object({ label: Label }, { additionalProperties: false }), { description: 'Required for enum and set' })),
    ...Settings,
  },
  { additionalProperties: false },
);

export const UpdatePersonFieldBody = Type.Object(
  {
    field_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    field_code: Type.Optional(Type.String({ description: 'Cannot be changed' })),
    field_type: Type.Optional(Type.String({ description: 'Cannot be changed' })),
    ...Settings,
  },
  { additionalProperties: false, minProperties: 1 },
);

export const AddOptionsBody = Type.Array(Type.Object({ label: Label }, { additionalProperties: false }), { minItems: 1 });
export const UpdateOptionsBody = Type.Array(Type.Object({ id: Type.Integer(), label: Label }, { additionalProperties: false }), { minItems: 1 });
export const DeleteOptionsBody = Type.Array(Type.Object({ id: Type.Integer() }, { additionalProperties: false }), { minItems: 1 });

export const FieldCodeParams = Type.Object({ field_code: Type.String({ minLength: 1, description: 'The field_code of the field' }) });

const IncludeFields = Type.Optional(
  Type.String({ description: 'Comma-separated: ui_visibility, important_fields, required_fields' }),
);
export const ListPersonFieldsQuery = query({
  include_fields: IncludeFields,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'At most 500' })),
  cursor: Type.Optional(Type.String({ description: 'The next_cursor of a previous page' })),
});
export const GetPersonFieldQuery = query({ include_fields: IncludeFields });

export const PersonFieldEnvelope = Envelope(Type.Ref(PersonFieldV2));
export const PersonFieldListEnvelope = CursorListEnvelope(Type.Ref(PersonFieldV2));
export const OptionsEnvelope = Type.Object({
  success: Type.Boolean(),
  data: Type.Array(Type.Object({ id: Type.Integer(), label: Type.String() })),
  additional_data: Type.Null(),
});
