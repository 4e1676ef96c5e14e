namespace Conduit.MongoTestServer.Query;

/// <summary>One level of a projection's path tree: <c>{"a.b": 1, "a.c": 1}</c> becomes a → {b, c}.</summary>
internal sealed class ProjectionNode
{
    /// <summary>Gets the sub-fields named at this level.</summary>
    public Dictionary<string, ProjectionNode> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets a value indicating whether the whole field is included or excluded here.</summary>
    public bool IsLeaf => Children.Count == 0;

    /// <summary>Adds a dotted path below this node.</summary>
    public void Add(string path)
    {
        var node = this;
        foreach (var part in path.Split('.'))
        {
            if (!node.Children.TryGetValue(part, out var child))
            {
                child = new ProjectionNode();
                node.Children[part] = child;
            }

            node = child;
        }
    }
}
