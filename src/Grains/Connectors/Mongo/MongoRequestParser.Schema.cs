using Conduit.Errors;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Conduit.Connectors.Mongo;

/// <summary>The index and collection operations' arguments.</summary>
internal static partial class MongoRequestParser
{
    private static readonly string[] ValidationLevels = ["off", "strict", "moderate"];
    private static readonly string[] ValidationActions = ["error", "warn"];

    private static MongoRequest CreateIndex(MongoRequest request, MongoArguments args)
    {
        var keys = args.Document("keys", required: true)!;
        if (keys.ElementCount == 0)
        {
            throw args.Invalid("keys", "must name at least one field, such as {\"email\": 1}.");
        }

        var options = new CreateIndexOptions<BsonDocument>
        {
            Name = args.Text("name"),
            Unique = args.Boolean("unique"),
            Sparse = args.Boolean("sparse"),
            ExpireAfter = args.Integer("expireAfterSeconds", 0, int.MaxValue) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            PartialFilterExpression = args.Document("partialFilterExpression") is { } partial ? new BsonDocumentFilterDefinition<BsonDocument>(partial) : null,
        };
        return request with { Index = new CreateIndexModel<BsonDocument>(new BsonDocumentIndexKeysDefinition<BsonDocument>(keys), options) };
    }

    private static MongoRequest DropIndex(MongoRequest request, MongoArguments args)
    {
        var name = args.Text("name", required: true)!;
        if (name == "*")
        {
            throw args.Invalid("name", "'*' would drop every index; drop them one at a time by name.");
        }

        return request with { IndexName = name };
    }

    private static MongoRequest CreateCollection(MongoRequest request, MongoArguments args)
    {
        var validator = args.Document("validator");
        var level = args.Text("validationLevel", allowed: ValidationLevels);
        var action = args.Text("validationAction", allowed: ValidationActions);
        if (validator is null && (level is not null || action is not null))
        {
            throw args.Invalid("validator", "is required when validationLevel or validationAction is given.");
        }

        return request with
        {
            CollectionOptions = new CreateCollectionOptions<BsonDocument>
            {
                Validator = validator is null ? null : new BsonDocumentFilterDefinition<BsonDocument>(validator),
                ValidationLevel = level switch
                {
                    "off" => DocumentValidationLevel.Off,
                    "moderate" => DocumentValidationLevel.Moderate,
                    "strict" => DocumentValidationLevel.Strict,
                    _ => null,
                },
                ValidationAction = action switch
                {
                    "warn" => DocumentValidationAction.Warn,
                    "error" => DocumentValidationAction.Error,
                    _ => null,
                },
            },
        };
    }
}
